import { StoreUnavailable } from "@/app/components/store-unavailable";
import { requireSession } from "@/lib/auth/session";
import { BenchPage, requireBenchRoutes } from "../bench-page";

export default async function ProtectedBenchPage() {
  requireBenchRoutes();
  const required = await requireSession("/bench/protected");
  if (!required.ok) return <StoreUnavailable title="Benchmark page" />;
  return <BenchPage who={required.current.user.email} />;
}
