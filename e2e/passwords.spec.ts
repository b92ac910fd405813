// New passwords nobody can guess: the server refuses weak ones with why, and the forms say the
// same as the person types.
import { expect, test } from "./fixtures";
import { uniqueEmail } from "./helpers";

test("a common password is refused at sign-up with why; the form says so as it is typed", async ({ page, request }) => {
  const email = uniqueEmail("weak");
  const refused = await request.post("/api/auth/register", { data: { email, password: "password123" } });
  expect(refused.status()).toBe(400);
  const { error } = await refused.json();
  expect(error.code).toBe("password_too_weak");
  expect(error.fields.password).toMatch(/commonly used password/i);

  // The address and its parts count as guessable.
  const own = await request.post("/api/auth/register", { data: { email: "marguerite.quillfeather@example.com", password: "margueritequillfeather" } });
  expect((await own.json()).error.code).toBe("password_too_weak");

  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").pressSequentially("password123");
  await expect(page.getByTestId("password-strength")).toContainText("commonly used password");
  // Sent anyway: the server's answer stands next to the field, said once, not twice.
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#password-error")).toContainText("commonly used password");
  await expect(page.getByText(/commonly used password/)).toHaveCount(1);
  await page.getByLabel("Password").fill("");
  await page.getByLabel("Password").pressSequentially("quiet lantern orchard");
  await expect(page.getByTestId("password-strength")).toHaveText("Hard to guess. Good.");
});

test("changing to a weak password is refused next to the field, and nothing changes", async ({ page, person: { email } }) => {
  void email;
  await page.goto("/account");
  await page.getByLabel("Current password").fill("correct horse battery");
  await page.getByLabel("New password", { exact: true }).fill("password1");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#newPassword-error")).toContainText(/commonly used password/i);
});
