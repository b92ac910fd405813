"use client";

// A request from a button or a form that may need a fresh sign-in first: when the server answers
// 403 reauthentication_required, the prompt takes the component's place, then the same request
// goes again once the person has confirmed (they never start over).
import { useState, type ReactElement, type RefObject } from "react";
import { asksForReauth, useReauth } from "./reauth-prompt";

/**
 * `send(request, then)`: sends it (pending meanwhile); when the answer asks for a fresh sign-in,
 * the prompt stands in (render `prompt` instead of the component) and, once confirmed, `request`
 * goes again. Otherwise `then` gets the answer; it returns "leaving" when it navigates away, so
 * the button stays pending until the page goes.
 */
export function useGuardedRequest(options: { strong?: boolean } = {}): {
  send: (request: () => Promise<Response | null>, then: (response: Response | null) => unknown) => Promise<void>;
  pending: boolean;
  prompt: ReactElement | null;
  returnFocusTo: RefObject<HTMLButtonElement | null>;
} {
  const reauth = useReauth(options);
  const [pending, setPending] = useState(false);

  async function send(request: () => Promise<Response | null>, then: (response: Response | null) => unknown): Promise<void> {
    setPending(true);
    const response = await request();
    if (await asksForReauth(response)) {
      setPending(false);
      return reauth.ask(() => void send(request, then));
    }
    try {
      if ((await then(response)) === "leaving") return;
    } catch (error) {
      setPending(false);
      throw error;
    }
    setPending(false);
  }

  return { send, pending, prompt: reauth.prompt, returnFocusTo: reauth.returnFocusTo };
}
