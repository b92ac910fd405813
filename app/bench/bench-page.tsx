// The page `npm run bench` measures, protected and not: the same render either way, so the
// difference between the two is what authentication costs. Served only with BENCH_ROUTES=1.
import { notFound } from "next/navigation";
import { getConfig } from "@/lib/env";

export function requireBenchRoutes() {
  if (!getConfig().benchRoutes) notFound();
}

export function BenchPage({ who }: { who: string }) {
  const now = new Date();
  return (
    <>
      <h1>Benchmark page</h1>
      <p className="lead">Rendered for {who} at {now.toISOString()}.</p>
      <ul className="features">
        {["Access token verified at the edge", "Session checked on the server", "Rendered on demand"].map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </>
  );
}
