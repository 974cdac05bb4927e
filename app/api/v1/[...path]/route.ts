// ANY /api/v1/* – a JSON 404 for every path no route handles, instead of Next's HTML page
import { ApiError, errorResponse } from "@/lib/api/errors";

function notFound(request: Request) {
  const { pathname } = new URL(request.url);
  return errorResponse(new ApiError("not_found", 404, `No API route matches ${pathname.slice(0, 200)}.`));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as HEAD, notFound as OPTIONS };
