import { BenchPage } from "../bench-page";

export default function OpenBenchPage() {
  return <BenchPage who="anyone" />;
}
