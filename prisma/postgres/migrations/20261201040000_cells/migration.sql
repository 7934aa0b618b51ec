-- AlterTable
ALTER TABLE "Attempt" ADD COLUMN "cell" TEXT;

-- CreateTable
CREATE TABLE "Cell" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "slots" INTEGER NOT NULL,
    "active" INTEGER NOT NULL,
    "waiting" INTEGER NOT NULL,
    "workstations" INTEGER NOT NULL,

    CONSTRAINT "Cell_pkey" PRIMARY KEY ("id")
);
