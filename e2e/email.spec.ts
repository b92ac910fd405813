// The mail flows end to end: the app sends over SMTP to a real SMTP server the harness runs
// (scripts/mail-catcher.mjs), and the tests read the codes and links from what it received.
import { expect, test } from "./fixtures";
import { createAccount, PASSWORD, registerWithForm, signIn, tokenCookies, uniqueEmail } from "./helpers";
import { codeIn, lastMailId, linkIn, mailsTo, waitForMail } from "./mail";
import { E2E } from "./settings";
import { passwordStrength, strengthMessage } from "../lib/shared/password-strength";

test("a forgotten password: a link by mail, opening it uses nothing, the new password ends every session and signs in here", async ({ page, person: { email }, secondDevice }) => {
  const after = await lastMailId();
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByText("If an account uses that address")).toBeVisible();

  const mail = await waitForMail(email, { subject: "Reset your Keycard password", after });
  const link = linkIn(mail, "/reset-password");
  expect(link.startsWith(`${E2E.baseURL}/reset-password?token=`)).toBe(true);
  expect(mail.html).toContain(link.replaceAll("&", "&amp;"));
  // A mail scanner fetching the link first must not use it up.
  expect((await page.request.get(link)).status()).toBe(200);

  await page.goto(link);
  // The page names the account, and judges a new password against its address as the server will.
  await expect(page.locator("main")).toContainText(`For ${email}.`);
  const fromTheAddress = `${email.split("@")[0]}!`;
  expect([passwordStrength(fromTheAddress, "").ok, passwordStrength(fromTheAddress, email).ok], "guessable only from the address").toEqual([true, false]);
  await page.getByLabel("New password").pressSequentially(fromTheAddress);
  await expect(page.getByTestId("password-strength")).toHaveText(strengthMessage(passwordStrength(fromTheAddress, email)));
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/account\?notice=password_reset$/);
  await expect(page.getByText("Your password has been reset")).toBeVisible();
  expect((await secondDevice.request.get("/api/auth/session")).status()).toBe(401);
  const told = await waitForMail(email, { subject: "Your Keycard password was changed", after: mail.id });
  expect(told.text).toMatch(/IP address: /);

  // Used: the link says so and offers a new one.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link no longer works" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Send me a new link" })).toBeVisible();
  const fresh = await page.context().browser()!.newContext();
  expect((await fresh.request.post("/api/auth/login", { data: { email, password: "a brand new password" } })).status()).toBe(200);
  await fresh.close();
});

test("asking for a reset answers the same for an address without an account, and mails nothing", async ({ request, playwright }) => {
  const nobody = uniqueEmail("nobody");
  const answer = await request.post("/api/auth/password-reset", { data: { email: nobody } });
  expect(answer.status()).toBe(202);
  expect(await answer.json()).toEqual({ status: "reset_sent" });
  const owner = await playwright.request.newContext({ baseURL: E2E.baseURL });
  const email = uniqueEmail("owner");
  expect((await createAccount(owner, email)).status()).toBe(201);
  await owner.dispose();
  const someone = await request.post("/api/auth/password-reset", { data: { email } });
  expect(someone.status()).toBe(202);
  expect(await someone.json()).toEqual(await answer.json());
  expect(await mailsTo(nobody)).toEqual([]);
});

test("a forged Host header cannot put another site in a reset link: links come from APP_ORIGIN", async ({ request, person: { email } }) => {
  const after = await lastMailId();
  const asked = await request.post("/api/auth/password-reset", {
    data: { email },
    headers: { host: "evil.example", "x-forwarded-host": "evil.example", origin: E2E.baseURL },
  });
  expect(asked.status()).toBe(202);
  const mail = await waitForMail(email, { subject: "Reset your Keycard password", after });
  expect(linkIn(mail, "/reset-password").startsWith(`${E2E.baseURL}/`)).toBe(true);
  expect(mail.text + mail.html).not.toContain("evil.example");
});

test("changing the address from /account: a code to the new one, the old one told with a link that takes the account back", async ({ page, person: { email } }) => {
  const newEmail = uniqueEmail("moved");
  const after = await lastMailId();
  await page.goto("/account");
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByRole("button", { name: "Send a code to the new address" }).click();
  await expect(page).toHaveURL(/\/account\/email\?challenge=/);
  const codeMail = await waitForMail(newEmail, { subject: "Confirm your new Keycard address", after });
  await page.getByLabel("Code").fill("000000" === codeIn(codeMail) ? "111111" : "000000");
  await page.getByRole("button", { name: "Change my address" }).click();
  await expect(page.getByText("That code isn’t right")).toBeVisible();
  await page.getByLabel("Code").fill(codeIn(codeMail));
  await page.getByRole("button", { name: "Change my address" }).click();
  await expect(page).toHaveURL(/\/account\?notice=email_changed$/);
  await expect(page.getByText(`Signed in as ${newEmail}`)).toBeVisible();

  const told = await waitForMail(email, { subject: "Your Keycard address was changed", after });
  expect(told.text).toContain(newEmail);
  const undo = linkIn(told, "/undo-email-change");
  const other = await page.context().browser()!.newContext({ baseURL: E2E.baseURL });
  const victim = await other.newPage();
  const undoAfter = await lastMailId();
  await victim.goto(undo);
  await victim.getByRole("button", { name: "Put my address back and sign out everywhere" }).click();
  await expect(victim.getByRole("heading", { name: "Your address is back" })).toBeVisible();

  // Whoever moved it is signed out, and the password they knew no longer works; both addresses are
  // told, and the restored one gets the way back in: a link to choose a new password.
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
  expect((await page.request.post("/api/auth/login", { data: { email, password: PASSWORD } })).status()).toBe(401);
  await waitForMail(newEmail, { subject: "A Keycard account no longer uses this address", after: undoAfter });
  const back = await waitForMail(email, { subject: "Your Keycard address is back", after: undoAfter });
  await victim.goto(linkIn(back, "/reset-password"));
  await victim.getByLabel("New password").fill("mine again, all mine");
  await victim.getByRole("button", { name: "Set new password" }).click();
  await expect(victim).toHaveURL(/\/account\?notice=password_reset$/);
  await expect(victim.getByText(`Signed in as ${email}`)).toBeVisible();
  await other.close();
});

test("a sign-in from a browser the account has not seen mails its owner; the same browser again does not", async ({ browser, person: { email } }) => {
  const after = await lastMailId();
  const laptop = await browser.newContext({ baseURL: E2E.baseURL });
  await signIn(laptop, email);
  const mail = await waitForMail(email, { subject: "A new sign-in to your Keycard account", after });
  expect(mail.text).toMatch(/Device: /);
  expect(linkIn(mail, "/account")).toBe(`${E2E.baseURL}/account`);
  // The browser is known now (its device cookie): signing in again sends nothing.
  const device = (await laptop.cookies()).find((c) => c.name.endsWith("kc_device"));
  expect(device?.httpOnly).toBe(true);
  await signIn(laptop, email);
  const { refresh } = await tokenCookies(laptop);
  expect(refresh).toBeDefined();
  await laptop.request.get("/api/auth/session");
  expect((await mailsTo(email)).filter((m) => m.id > mail.id && /new sign-in/.test(m.subject))).toEqual([]);
  await laptop.close();
});

test("the sign-up link opened in another browser asks for the password chosen; a stranger's sign-up is not finished by the owner's click", async ({ request, browser }) => {
  const victim = uniqueEmail("victim");
  const after = await lastMailId();
  // A stranger asks to sign up with the victim's address and a password of their own.
  expect((await request.post("/api/auth/register", { data: { email: victim, password: "the stranger's password" } })).status()).toBe(202);
  const link = linkIn(await waitForMail(victim, { subject: "sign-up code", after }), "/register/verify");

  const own = await browser.newContext({ baseURL: E2E.baseURL });
  const page = await own.newPage();
  await page.goto(link);
  await expect(page.getByLabel("The password you chose")).toBeVisible();
  await page.getByLabel("The password you chose").fill("the victim's own password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("That isn’t the password chosen when this sign-up started.")).toBeVisible();
  expect((await page.request.get("/api/auth/session")).status()).toBe(401);
  await own.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("signing up with the mailed code, and resetting a forgotten password through plain forms", async ({ page }) => {
    const email = uniqueEmail("nojs-mail");
    await registerWithForm(page, email);
    await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
    await page.context().clearCookies();

    const after = await lastMailId();
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await expect(page).toHaveURL(/\/forgot-password\?sent=1$/);
    const link = linkIn(await waitForMail(email, { subject: "Reset your Keycard password", after }), "/reset-password");
    await page.goto(link);
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
    await page.getByLabel("New password").fill("another brand new password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/account\?notice=password_reset$/);
    await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  });

  test("a wrong sign-up code says so, and the mail's link fills the code in", async ({ page }) => {
    const email = uniqueEmail("nojs-code");
    const after = await lastMailId();
    await page.goto("/register");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    const mail = await waitForMail(email, { subject: "sign-up code", after });
    await page.getByLabel("Code").fill(codeIn(mail) === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("That code isn’t right")).toBeVisible();
    await page.goto(linkIn(mail, "/register/verify"));
    await expect(page.getByLabel("Code")).toHaveValue(codeIn(mail));
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
  });
});

test("finishing a sign-up in a browser signed in to another account says first that it will replace it", async ({ page, person: { email } }) => {
  const newcomer = uniqueEmail("newcomer");
  expect((await page.request.post("/api/auth/register", { data: { email: newcomer, password: PASSWORD } })).status()).toBe(202);
  await page.goto("/register/verify");
  await expect(page.getByText(`You are signed in as ${email} in this browser.`)).toBeVisible();
});
