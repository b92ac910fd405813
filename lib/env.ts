// The only module of the app that reads process.env (next.config.js and scripts/ read their own
// build and start settings). It also runs on the edge, so it imports nothing from Node.
//
// Two views of one environment: getEdgeConfig() is what the middleware needs — public verifying
// keys, never a private one — and getConfig() adds the Node side's secrets and settings.
import { z } from "zod";
import { localMailboxRefused, looksLikePlaceholder, providerSettings } from "@/scripts/setting-rules.mjs";

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
// "max/seconds": at most `max` attempts per window of `seconds`.
const limit = (fallback: string) =>
  z
    .string()
    .regex(/^[1-9]\d*\/[1-9]\d*$/, "must look like 20/900 (at most 20 per 900 seconds), both at least 1")
    .default(fallback)
    .transform((v) => {
      const [max, windowSeconds] = v.split("/").map(Number);
      return { max, windowSeconds };
    });

const notPlaceholder = (what: string) => [(v: string) => !looksLikePlaceholder(v), `looks like an example value, not ${what}`] as const;

const edgeSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().positive().default(3000),
  // The public halves of AUTH_SIGNING_KEYS (a JSON array of public ES256 JWKs): all the edge
  // needs to verify, so the edge never holds a key that can sign. `npm start` derives it.
  AUTH_VERIFYING_KEYS: z.string({ error: "is required: the public halves of AUTH_SIGNING_KEYS (npm run keys:public prints them)" }),
  AUTH_ISSUER: z.string().min(1).default("keycard"),
  AUTH_AUDIENCE: z.string().min(1).default("keycard"),
  ACCESS_TOKEN_TTL_SECONDS: seconds(5 * 60),
  ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  // Where the middleware reaches the refresh route handler. Never derived from the request's Host
  // header: that would let whoever sets Host receive the refresh cookie.
  INTERNAL_ORIGIN: z.url().optional(),
  // The origin people use (https://login.example.com). Checked against a request's Origin header
  // when the browser sends no Sec-Fetch-Site; without it, the address the request was sent to.
  APP_ORIGIN: z.url().optional(),
  COOKIE_SECURE: z.enum(["true", "false"]).optional(),
  // How many proxies in front of the app append to X-Forwarded-For (0: none, use the socket).
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // Made by scripts/server.mjs at each start, never configured: proves the middleware's call to the
  // refresh route to the server, so the client address it passes on is believed.
  KEYCARD_INTERNAL_HOP: z.string().min(32).optional(),
});

const serverSchema = edgeSchema.extend({
  // Secrets: no defaults. `npm start` writes fresh ones to .env on first run (scripts/secrets.mjs).
  AUTH_SIGNING_KEYS: z
    .string({ error: "is required: a JSON array of private ES256 JWKs, each with a kid" })
    .refine(...notPlaceholder("a generated key")),
  // A ring: one key, or several separated by commas — the first makes everything new (refresh
  // successors, the HMACs of mailed secrets and recovery codes, sealed authenticator keys), every
  // one is accepted (npm run refresh-key:*; docs/deploying.md).
  REFRESH_TOKEN_KEY: z
    .string({ error: "is required: 32+ random bytes, base64url" })
    .transform((v) => v.split(",").map((k) => k.trim()))
    .refine((keys) => keys.every((k) => /^[A-Za-z0-9_-]{43,}$/.test(k)), "must be at least 32 random bytes, base64url-encoded (several: separated by commas, the current one first)")
    .refine((keys) => keys.every((k) => !looksLikePlaceholder(k)), "looks like an example value, not 32 random bytes")
    .refine((keys) => new Set(keys).size === keys.length, "lists a key twice"),

  // file:… is SQLite (one machine); postgresql://… is PostgreSQL (several instances).
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/i, "must be file:./path/to.db (SQLite) or postgresql://… (PostgreSQL)")
    .default("file:./data/keycard.db"),
  // PostgreSQL only: connections each instance keeps open. Instances × this ≤ max_connections.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),

  SESSION_IDLE_TTL_SECONDS: seconds(7 * 24 * 3600),
  // How recent the last proof of who the person is must be for something dangerous (deleting the
  // account, signing out everywhere): older, and they are asked for their password again.
  REAUTH_MAX_AGE_SECONDS: seconds(10 * 60),
  SESSION_ABSOLUTE_TTL_SECONDS: seconds(30 * 24 * 3600),
  REFRESH_GRACE_SECONDS: z.coerce.number().int().min(0).default(10),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  // Password checks waiting for a hashing thread before new ones are refused (503 busy).
  BCRYPT_MAX_QUEUE: z.coerce.number().int().min(1).default(64),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  // Turns GET /metrics on, for a scraper sending `Authorization: Bearer <this>`. Off when unset.
  METRICS_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .refine(...notPlaceholder("a generated token"))
    .optional(),
  // How a person reaches the people who run this service (an address or a page), shown where
  // only they can help: a locked account. Without it, pages say "the service's support".
  SUPPORT_CONTACT: z.string().trim().min(3).max(200).optional(),
  // On SIGTERM, how long requests in flight may take to finish before the process exits anyway.
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),

  // Brute-force limits (see docs/security.md). Sign-in attempts are counted per account and IP,
  // per IP, and per account; sign-ups per IP; failed refreshes per IP; wrong current passwords
  // per account.
  RATE_LIMIT_LOGIN_ACCOUNT_IP: limit("5/900"),
  RATE_LIMIT_LOGIN_IP: limit("30/900"),
  RATE_LIMIT_LOGIN_ACCOUNT: limit("100/3600"),
  RATE_LIMIT_REGISTER_IP: limit("10/3600"),
  RATE_LIMIT_REFRESH_IP: limit("60/300"),
  RATE_LIMIT_PASSWORD_ACCOUNT: limit("5/900"),
  // Mail that a stranger can make Keycard send (sign-up codes, reset links, email-change codes):
  // per address, so nobody can bomb a victim's inbox, and per IP.
  RATE_LIMIT_MAIL_ADDRESS: limit("5/3600"),
  // Second-step codes (an authenticator app's, or recovery codes), apart from password checks:
  // per account and place (a browser the account knows, else the IP), and per account from places
  // it does not know — so wrong codes from elsewhere never lock the owner out where they sign in.
  RATE_LIMIT_SECOND_FACTOR_PLACE: limit("5/900"),
  RATE_LIMIT_SECOND_FACTOR_ACCOUNT: limit("10/3600"),
  // Wrong second-step codes in a row, from anywhere, after which the password stops working (whoever
  // knows it is guessing codes) and the owner is mailed a reset link. NIST SP 800-63B-4 §3.2.2: ≤ 100.
  SECOND_FACTOR_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(50),
  // Wrong mailed codes (sign-up, new address) per address per day, across all its codes: each code
  // has 5 tries, and this caps how many codes can be tried at all.
  RATE_LIMIT_MAIL_CODE_ADDRESS: limit("20/86400"),
  RATE_LIMIT_MAIL_IP: limit("30/3600"),
  // Passkey sign-in challenges, per IP: each is a row until it expires, and anyone can ask for
  // one. Every visit to /login asks once (for the email field's autofill), so it is generous.
  RATE_LIMIT_PASSKEY_IP: limit("100/300"),
  // Sign-ins through another provider started, per IP (each is a stored row until it expires).
  RATE_LIMIT_PROVIDER_IP: limit("30/300"),

  // Where mail goes: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]/i, "must look like smtp://user:password@host:587 or smtps://user:password@host:465")
    .optional(),
  // `npm start` on a developer's machine without SMTP_URL sets this: mail is kept in the database,
  // printed to the log and shown at /dev/mailbox. Never on a server people use.
  MAIL_LOCAL_MAILBOX: z.enum(["true", "false"]).default("false"),
  // Set by `npm start` / `npm run dev` on a developer's machine only (scripts/secrets.mjs).
  KEYCARD_DEVELOPMENT_START: z.enum(["true", "false"]).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  // A mail the SMTP server did not take is tried again after 1, 2, 4… times this, at most 15
  // minutes apart, until MAIL_GIVE_UP_AFTER_SECONDS after it was queued.
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().positive().default(10),
  MAIL_GIVE_UP_AFTER_SECONDS: seconds(24 * 3600),
});

const required = (name: string, why: string) => ({ path: [name], message: `is required: ${why}` });

/** What the Node side cannot run without beyond the secrets: where links point, where mail goes. */
const completeServerSchema = serverSchema.superRefine((e, ctx) => {
  if (!e.APP_ORIGIN) {
    ctx.addIssue({ code: "custom", ...required("APP_ORIGIN", "the address people use (https://login.example.com); every link in a mail is built from it") });
  }
  if (!e.SMTP_URL && e.MAIL_LOCAL_MAILBOX !== "true") {
    ctx.addIssue({ code: "custom", ...required("SMTP_URL", "where mail goes, smtp://user:password@host:587 (npm start on a developer's machine keeps mail in a local mailbox instead)") });
  }
  if (localMailboxRefused(e)) {
    ctx.addIssue({ code: "custom", path: ["MAIL_LOCAL_MAILBOX"], message: "is true on a server people use (NODE_ENV=production, or APP_ORIGIN not this machine): the local mailbox shows every code and link at /dev/mailbox. Set SMTP_URL instead." });
  }
});

export type Limit = { max: number; windowSeconds: number };

export type EdgeConfig = {
  production: boolean;
  verifyingKeys: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  clockToleranceSeconds: number;
  internalOrigin: string;
  appOrigin: string | undefined;
  cookieSecure: boolean;
  trustedProxies: number;
  internalHop: string | undefined;
  /** The origins of the configured providers (their issuers), where sign-in forms may lead. */
  providerOrigins: string[];
};

export type Config = EdgeConfig & {
  signingKeys: string;
  /** The current key of the REFRESH_TOKEN_KEY ring: it makes everything new. */
  refreshTokenKey: string;
  /** Every key of the ring, the current one first: each is accepted. */
  refreshTokenKeys: string[];
  databaseUrl: string;
  databasePoolSize: number;
  sessionIdleTtlSeconds: number;
  reauthMaxAgeSeconds: number;
  sessionAbsoluteTtlSeconds: number;
  refreshGraceSeconds: number;
  bcryptCost: number;
  bcryptMaxQueue: number;
  maxBodyBytes: number;
  shutdownGraceSeconds: number;
  metricsToken: string | undefined;
  supportContact: string | null;
  limits: {
    loginAccountIp: Limit;
    loginIp: Limit;
    loginAccount: Limit;
    registerIp: Limit;
    refreshIp: Limit;
    passwordAccount: Limit;
    mailAddress: Limit;
    mailIp: Limit;
    passkeyIp: Limit;
    providerIp: Limit;
    secondFactorPlace: Limit;
    secondFactorAccount: Limit;
    mailCodeAddress: Limit;
  };
  secondFactorMaxFailures: number;
  appOrigin: string;
  mail: MailSettings;
  /** Other providers to sign in with, in the order of their buttons (AUTH_PROVIDERS). */
  providers: ProviderSettings[];
};

/** One provider of AUTH_PROVIDERS: an OpenID provider by its issuer, or GitHub's OAuth app. */
export type ProviderSettings = {
  id: string;
  kind: "oidc" | "github";
  /** The button's words: "Continue with <name>". */
  name: string;
  issuer?: string;
  /** github only: github.com, or a GitHub Enterprise Server. */
  githubUrl?: string;
  clientId: string;
  clientSecret: string;
};

export type MailSettings = {
  /** Null: the local mailbox (a developer's machine). */
  smtpUrl: string | null;
  /** Mail kept on this machine and shown at /dev/mailbox: never in production (checked at start). */
  localMailbox: boolean;
  from: string;
  retryBaseSeconds: number;
  giveUpAfterSeconds: number;
};

export class ConfigError extends Error {
  readonly code = "config_invalid";
}

function validated<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")} ${i.message}`);
  throw new ConfigError(
    `Keycard's configuration is incomplete:\n${lines.join("\n")}\n` +
      "Run `npm start` once to write a .env with fresh secrets, or set them in the environment.",
  );
}

function edgeFrom(e: z.output<typeof edgeSchema>): Omit<EdgeConfig, "providerOrigins"> {
  return {
    production: e.NODE_ENV === "production",
    verifyingKeys: e.AUTH_VERIFYING_KEYS,
    issuer: e.AUTH_ISSUER,
    audience: e.AUTH_AUDIENCE,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: e.ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
    internalOrigin: (e.INTERNAL_ORIGIN ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ""),
    appOrigin: e.APP_ORIGIN?.replace(/\/$/, ""),
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === "true" : e.NODE_ENV === "production",
    trustedProxies: e.TRUSTED_PROXIES,
    internalHop: e.KEYCARD_INTERNAL_HOP,
  };
}

export function parseEdgeConfig(env: Record<string, string | undefined>): EdgeConfig {
  return { ...edgeFrom(validated(edgeSchema, env)), providerOrigins: providerOriginsOf(env) };
}

/** Where each configured provider lives (malformed ones are the Node side's to refuse, naming them). */
function providerOriginsOf(env: Record<string, string | undefined>): string[] {
  const origins = new Set<string>();
  for (const p of providerSettings(env).providers as { issuer?: string; githubUrl?: string }[]) {
    const base = p.issuer ?? p.githubUrl;
    if (base && URL.canParse(base)) origins.add(new URL(base).origin);
  }
  return [...origins];
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const e = validated(completeServerSchema, env);
  const configured = providerSettings(env);
  if (configured.problems.length > 0) {
    const lines = configured.problems.map((p: { name: string; problem: string }) => `  ${p.name} ${p.problem}`);
    throw new ConfigError(`Keycard's configuration is incomplete:\n${lines.join("\n")}`);
  }
  const appOrigin = e.APP_ORIGIN!.replace(/\/$/, "");
  return {
    ...edgeFrom(e),
    providerOrigins: providerOriginsOf(env),
    signingKeys: e.AUTH_SIGNING_KEYS,
    refreshTokenKey: e.REFRESH_TOKEN_KEY[0],
    refreshTokenKeys: e.REFRESH_TOKEN_KEY,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    sessionIdleTtlSeconds: e.SESSION_IDLE_TTL_SECONDS,
    reauthMaxAgeSeconds: e.REAUTH_MAX_AGE_SECONDS,
    sessionAbsoluteTtlSeconds: e.SESSION_ABSOLUTE_TTL_SECONDS,
    refreshGraceSeconds: e.REFRESH_GRACE_SECONDS,
    bcryptCost: e.BCRYPT_COST,
    bcryptMaxQueue: e.BCRYPT_MAX_QUEUE,
    maxBodyBytes: e.MAX_BODY_BYTES,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    metricsToken: e.METRICS_TOKEN,
    supportContact: e.SUPPORT_CONTACT ?? null,
    limits: {
      loginAccountIp: e.RATE_LIMIT_LOGIN_ACCOUNT_IP,
      loginIp: e.RATE_LIMIT_LOGIN_IP,
      loginAccount: e.RATE_LIMIT_LOGIN_ACCOUNT,
      registerIp: e.RATE_LIMIT_REGISTER_IP,
      refreshIp: e.RATE_LIMIT_REFRESH_IP,
      passwordAccount: e.RATE_LIMIT_PASSWORD_ACCOUNT,
      mailAddress: e.RATE_LIMIT_MAIL_ADDRESS,
      mailIp: e.RATE_LIMIT_MAIL_IP,
      secondFactorPlace: e.RATE_LIMIT_SECOND_FACTOR_PLACE,
      secondFactorAccount: e.RATE_LIMIT_SECOND_FACTOR_ACCOUNT,
      mailCodeAddress: e.RATE_LIMIT_MAIL_CODE_ADDRESS,
      passkeyIp: e.RATE_LIMIT_PASSKEY_IP,
      providerIp: e.RATE_LIMIT_PROVIDER_IP,
    },
    secondFactorMaxFailures: e.SECOND_FACTOR_MAX_FAILURES,
    providers: configured.providers as ProviderSettings[],
    appOrigin,
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      localMailbox: !e.SMTP_URL && e.MAIL_LOCAL_MAILBOX === "true" && !localMailboxRefused(e),
      from: e.MAIL_FROM ?? `Keycard <no-reply@${new URL(appOrigin).hostname}>`,
      retryBaseSeconds: e.MAIL_RETRY_BASE_SECONDS,
      giveUpAfterSeconds: e.MAIL_GIVE_UP_AFTER_SECONDS,
    },
  };
}

// How much the server logs (JSON lines in production). Read on its own, so that logging works
// even while the rest of the configuration is incomplete (which is then what gets logged).
const logSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
});

export type LogSettings = { level: string; pretty: boolean };

// The middleware asks on every page request: parsed again only when the two variables change.
let logSettings: { from: string; settings: LogSettings } | undefined;

export function getLogSettings(): LogSettings {
  const from = `${process.env.NODE_ENV}\n${process.env.LOG_LEVEL}`;
  if (logSettings?.from === from) return logSettings.settings;
  const parsed = logSchema.safeParse({ NODE_ENV: process.env.NODE_ENV, LOG_LEVEL: process.env.LOG_LEVEL });
  const e = parsed.success ? parsed.data : { NODE_ENV: "production" as const, LOG_LEVEL: undefined };
  // Tests keep quiet unless asked; development gets readable lines, production JSON.
  logSettings = { from, settings: { level: e.LOG_LEVEL ?? (e.NODE_ENV === "test" ? "silent" : "info"), pretty: e.NODE_ENV === "development" } };
  return logSettings.settings;
}

let edgeCached: EdgeConfig | undefined;
let cached: Config | undefined;

/** What the middleware needs, validated once. Holds no private key. Throws ConfigError. */
export function getEdgeConfig(): EdgeConfig {
  edgeCached ??= parseEdgeConfig(process.env);
  return edgeCached;
}

/** The Node side's configuration, validated once. Throws ConfigError naming what is missing. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
