-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "learnerId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "containerId" TEXT,
    "cause" TEXT,
    "pid1Command" TEXT,
    "startedCommand" TEXT,
    "otherCommands" TEXT,
    "exitCode" INTEGER,
    "oomKilled" BOOLEAN,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "observedAt" DATETIME,
    CONSTRAINT "Incident_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Attempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "learnerId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "files" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "checks" TEXT,
    "summary" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "incidentId" TEXT,
    CONSTRAINT "Attempt_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Attempt_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Attempt" ("checks", "exerciseId", "files", "finishedAt", "id", "learnerId", "startedAt", "status", "summary") SELECT "checks", "exerciseId", "files", "finishedAt", "id", "learnerId", "startedAt", "status", "summary" FROM "Attempt";
DROP TABLE "Attempt";
ALTER TABLE "new_Attempt" RENAME TO "Attempt";
CREATE INDEX "Attempt_learnerId_exerciseId_idx" ON "Attempt"("learnerId", "exerciseId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Incident_learnerId_exerciseId_idx" ON "Incident"("learnerId", "exerciseId");
