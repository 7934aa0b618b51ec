-- AlterTable
ALTER TABLE "Attempt" ADD COLUMN "cell" TEXT;

-- CreateTable
CREATE TABLE "Cell" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "slots" INTEGER NOT NULL,
    "active" INTEGER NOT NULL,
    "waiting" INTEGER NOT NULL,
    "workstations" INTEGER NOT NULL
);
