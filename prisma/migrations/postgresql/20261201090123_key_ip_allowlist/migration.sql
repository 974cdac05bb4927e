-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "ipAllowlist" TEXT;
