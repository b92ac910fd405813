// What a page opened from a mailed link needs to know before it shows its form: whether the link
// still works. Reading only: opening a link never uses it up (mail scanners fetch links).
import { isStoreFault } from "@/lib/server/faults";
import type { ActionContext } from "@/lib/server/actions/context";
import { pageActionContext } from "@/lib/server/route";

export type LinkState = "works" | "spent" | "store_unavailable";

export async function mailedLinkState(token: string, works: (token: string, ctx: ActionContext) => Promise<boolean>): Promise<LinkState> {
  if (!token) return "spent";
  try {
    return (await works(token, await pageActionContext())) ? "works" : "spent";
  } catch (error) {
    if (!isStoreFault(error)) throw error;
    return "store_unavailable";
  }
}
