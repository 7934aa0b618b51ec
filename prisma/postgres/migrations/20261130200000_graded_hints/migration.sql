-- AlterTable
ALTER TABLE "Workshop" ADD COLUMN "solutionsHeld" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "HintView" (
    "learnerId" TEXT NOT NULL,
    "exerciseId" TEXT NOT NULL,
    "checkId" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "how" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HintView_pkey" PRIMARY KEY ("learnerId","exerciseId","checkId","level")
);

-- AddForeignKey
ALTER TABLE "HintView" ADD CONSTRAINT "HintView_learnerId_fkey" FOREIGN KEY ("learnerId") REFERENCES "Learner"("id") ON DELETE CASCADE ON UPDATE CASCADE;
