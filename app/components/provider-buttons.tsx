// "Continue with …" for each configured provider: plain form posts (they work without JavaScript),
// answered with a redirect to the provider. Nothing shows when none is configured.
import { getConfig } from "@/lib/env";

export function ProviderButtons({ next, verb = "Continue" }: { next: string; verb?: string }) {
  const providers = getConfig().providers;
  if (providers.length === 0) return null;
  return (
    <div className="providers">
      <p className="or">or</p>
      <ul className="provider-list">
        {providers.map((p) => (
          <li key={p.id}>
            <form method="post" action={`/api/auth/oauth/${p.id}/start`}>
              <input type="hidden" name="next" value={next} />
              <button type="submit" className="button secondary block">
                {verb} with {p.name}
              </button>
            </form>
          </li>
        ))}
      </ul>
    </div>
  );
}
