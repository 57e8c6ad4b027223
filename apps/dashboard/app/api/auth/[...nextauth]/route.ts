import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// next-auth reads the request per call; building the handler lazily keeps env validation out of `next build`.
function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return NextAuth(authOptions())(request, context);
}

export { handler as GET, handler as POST };
