import { failWith } from "@/lib/edge/answer";
import { withSession } from "@/lib/server/route";

// Any API path no route serves: 404 JSON, like every other answer of the API — and exactly what an
// operator route answers someone without the role (lib/server/route.ts operatorRoute): a session
// checked first (401 when it has ended, as there), then "nothing here".
const nothingHere = withSession(async () => failWith("not_found"));
export { nothingHere as GET, nothingHere as POST, nothingHere as PUT, nothingHere as PATCH, nothingHere as DELETE };
