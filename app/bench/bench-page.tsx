// The page `npm run bench` measures, protected and not: the same render either way, so the
// difference between the two is what authentication costs. The pages that use it are named
// page.bench.tsx, which only the benchmark's own build serves (next.config.js: KEYCARD_BENCH_BUILD):
// a production build has no /bench route at all.

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
