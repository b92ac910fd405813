import type { FormErrors } from "@/app/components/query";

// "Confirm it's you" through a connected provider, as a plain form (it works without JavaScript):
// one button per provider, each posting to its start route. With an authenticator app on, its code
// is asked when the provider sends the person back (/account/confirm-code), as at sign-in.
export function ConfirmWithProvider({ providers, errors }: { providers: { provider: string; name: string }[]; errors: FormErrors }) {
  const distinct = [...new Map(providers.map((p) => [p.provider, p])).values()];
  return (
    <form method="post" action={`/api/auth/oauth/${distinct[0].provider}/start`} className="confirm-provider">
      <input type="hidden" name="purpose" value="reauthenticate" />
      <input type="hidden" name="next" value="/account" />
      {errors.formError ? (
        <p className="alert error" role="alert">
          {errors.formError}
        </p>
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
