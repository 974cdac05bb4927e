/** @type {import('next').NextConfig} */

// Headers for every response, pages and API alike. The Content-Security-Policy needs a
// fresh nonce per page, so proxy.ts sets it.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ...(process.env.NODE_ENV === "production"
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : []),
];

const nextConfig = {
  // The benchmark builds into its own folder so it never disturbs a build in .next.
  distDir: process.env.KEYPORT_DIST_DIR || ".next",
  // Native modules stay outside the server bundle and are loaded by Node itself.
  serverExternalPackages: ["bcrypt", "better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // The pages a mail's link opens (and the routes that take its token) send no Referer at all.
      { source: "/verify-email/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
      { source: "/reset-password/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
      // A team invitation's pages send no Referer at all (the later entry wins for this key).
      { source: "/invite", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
      { source: "/invite/:token", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};

module.exports = nextConfig;
