import type { FormErrors } from "@/app/components/query";

// "Confirm it's you" through a connected provider, as a plain form (it works without JavaScript):
// one button per provider, each posting to its start route; with an authenticator app on, its code
// goes with it (the provider is the first step, the code the second, as at sign-in).
export function ConfirmWithProvider({ providers, appCode, errors }: { providers: { provider: string; name: string }[]; appCode: boolean; errors: FormErrors }) {
  const distinct = [...new Map(providers.map((p) => [p.provider, p])).values()];
  const codeError = errors.fieldErrors.code;
  return (
    <form method="post" action={`/api/auth/oauth/${distinct[0].provider}/start`} className="card confirm-provider" noValidate>
      <input type="hidden" name="purpose" value="reauthenticate" />
      <input type="hidden" name="next" value="/account" />
      {errors.formError ? (
        <p className="alert error" role="alert">
          {errors.formError}
        </p>
      ) : null}
      {appCode ? (
        <div className="field">
          <label htmlFor="confirm-provider-code">Code from your authenticator app</label>
          <input
            id="confirm-provider-code"
            name="code"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            aria-invalid={codeError ? true : undefined}
            aria-describedby={codeError ? "confirm-provider-code-error" : undefined}
          />
          {codeError ? (
            <p className="error" id="confirm-provider-code-error" role="alert">
              {codeError}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="actions">
        {distinct.map((p) => (
          <button key={p.provider} type="submit" formAction={`/api/auth/oauth/${p.provider}/start`} className="button secondary">
            Confirm with {p.name}
          </button>
        ))}
      </div>
    </form>
  );
}
