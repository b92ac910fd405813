// Waits until a just-started `next start` answers (the test servers, the bench, the crash test).

/** Resolves once `origin` answers; rejects if `child` exits first or 30 s pass. */
export async function waitForServer(origin, child) {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${origin}/login`).then(() => true, () => false)) return;
    if (child && child.exitCode !== null) throw new Error(`the server for ${origin} exited with code ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server for ${origin} did not answer within 30 s`);
}
