import assert from "node:assert/strict";
import { it } from "node:test";
import { guessableFromEmail, passwordStrength, strengthMessage } from "./password-strength";

it("a common password is refused, saying why and what to do", () => {
  const s = passwordStrength("password123");
  assert.equal(s.ok, false);
  assert.match(strengthMessage(s), /commonly used password/i);
});

it("a few uncommon words pass", () => {
  assert.equal(passwordStrength("correct horse battery").ok, true);
});

it("the email address and its parts count as guessable", () => {
  const email = "marguerite.quillfeather@example.com";
  assert.deepEqual(guessableFromEmail(email).slice(0, 3), [email, "marguerite.quillfeather", "example.com"]);
  const password = "margueritequillfeather";
  assert.equal(passwordStrength(password).ok, true, "strong for a stranger");
  assert.equal(passwordStrength(password, email).ok, false, "weak for the owner of the address");
});
