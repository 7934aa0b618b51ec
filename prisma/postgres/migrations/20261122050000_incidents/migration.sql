-- AlterTable
ALTER TABLE "Attempt" ADD COLUMN     "incidentId" TEXT;

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "observedAt" TIMESTAMP(3),

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Incident_learnerId_exerciseId_idx" ON "Incident"("learnerId", "exerciseId");

-- AddForeignKey
ALTER TABLE "Attempt" ADD CONSTRAINT "Attempt_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;
