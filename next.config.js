/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules stay outside the server bundle and are loaded by Node itself.
  serverExternalPackages: ["bcrypt", "better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
