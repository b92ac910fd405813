import { StoreUnavailable } from "@/app/components/store-unavailable";
import { requireSession } from "@/lib/server/current-session";
import { BenchPage } from "../bench-page";

export default async function ProtectedBenchPage() {
  const required = await requireSession("/bench/protected");
  if (!required.ok) return <StoreUnavailable title="Benchmark page" />;
  return <BenchPage who={required.current.user.email} />;
}
