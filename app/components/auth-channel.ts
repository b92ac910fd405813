// Tabs of one browser share cookies, so a sign-in or sign-out in one is true for all of them.
// BroadcastChannel tells the others at once, with no polling.
const CHANNEL = "keycard-auth";

export type AuthChange = "signed-in" | "signed-out";
type Message = { change: AuthChange; from: string };

// A channel also delivers to other listeners in the sending tab; the tab's id lets it skip its own
// news (it is already navigating).
const thisTab = typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : String(Math.random());

export function announceAuthChange(change: AuthChange) {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ change, from: thisTab } satisfies Message);
  channel.close();
}

export function onAuthChange(listener: (change: AuthChange) => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<Message>) => {
    if (event.data?.from !== thisTab) listener(event.data.change);
  };
  return () => channel.close();
}
