-- AlterTable
ALTER TABLE "Attempt" ADD COLUMN "predictions" TEXT;
