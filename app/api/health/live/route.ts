// 200 while the process can answer at all: for a load balancer's liveness check.
import { json } from "@/lib/edge/answer";

export function GET() {
  return json({ status: "live" });
}
