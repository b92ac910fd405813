// Playwright fixtures: what most tests start from, made directly rather than clicked through
// (one test in sign-in.spec.ts signs up through the form itself).
//
//   person        a new account, signed in within this test's browser context
//   secondDevice  another browser context signed in to the same account, as a phone would be
//   db            the test servers' database, for what no page shows
import { test as base, expect, type BrowserContext } from "@playwright/test";
import { query, queryOne } from "./database";
import { E2E } from "./settings";
import { sessionState, signIn, signUp } from "./helpers";

type Fixtures = {
  person: { email: string };
  secondDevice: BrowserContext;
  db: { query: typeof query; queryOne: typeof queryOne; sessionState: typeof sessionState };
};

export const test = base.extend<Fixtures>({
  person: async ({ context }, use) => {
    await use(await signUp(context));
  },
  secondDevice: async ({ browser, person, baseURL }, use) => {
    const device = await browser.newContext({ baseURL: baseURL ?? E2E.baseURL });
    await signIn(device, person.email);
    await use(device);
    await device.close();
  },
  // eslint-disable-next-line no-empty-pattern
  db: async ({}, use) => {
    await use({ query, queryOne, sessionState });
  },
});

export { expect };
