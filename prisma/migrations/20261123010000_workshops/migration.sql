-- DropIndex
DROP INDEX "Attempt_learnerId_exerciseId_idx";

-- CreateTable
CREATE TABLE "Workshop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "joinCode" TEXT NOT NULL,
    "instructorSecretHash" TEXT NOT NULL,
    "exerciseIds" TEXT NOT NULL,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "capacity" INTEGER NOT NULL,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "endedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "WorkshopMember" (
    "workshopId" TEXT NOT NULL,
    "learnerId" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastJoinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("workshopId", "learnerId"),
    CONSTRAINT "WorkshopMember_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "WorkshopMember_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WorkshopMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workshopId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WorkshopMessage_workshopId_fkey" FOREIGN KEY ("workshopId") REFERENCES "Workshop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Attempt_learnerId_exerciseId_startedAt_idx" ON "Attempt"("learnerId", "exerciseId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Workshop_joinCode_key" ON "Workshop"("joinCode");

-- CreateIndex
CREATE INDEX "WorkshopMember_learnerId_lastJoinedAt_idx" ON "WorkshopMember"("learnerId", "lastJoinedAt");

-- CreateIndex
CREATE INDEX "WorkshopMessage_workshopId_createdAt_idx" ON "WorkshopMessage"("workshopId", "createdAt");
