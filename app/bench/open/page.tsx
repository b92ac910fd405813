import { BenchPage, requireBenchRoutes } from "../bench-page";

export default function OpenBenchPage() {
  requireBenchRoutes();
  return <BenchPage who="anyone" />;
}
