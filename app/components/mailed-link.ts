// What a page opened from a mailed link needs to know before it shows its form: whether the link
// still works. Reading only: opening a link never uses it up (mail scanners fetch links).
import { isStoreFault } from "@/lib/server/faults";
import type { ActionContext } from "@/lib/server/actions/context";
import { pageActionContext } from "@/lib/server/route";

export type LinkState<T> = { state: "works"; found: T } | { state: "spent" } | { state: "store_unavailable" };

/** `find`: what the link leads to while it works, else null or false. */
export async function mailedLinkState<T>(token: string, find: (token: string, ctx: ActionContext) => Promise<T | null | false>): Promise<LinkState<T>> {
  if (!token) return { state: "spent" };
  try {
    const found = await find(token, await pageActionContext());
    return found === null || found === false ? { state: "spent" } : { state: "works", found };
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    return { state: "store_unavailable" };
  }
}
