import type { TLearningRateSchedule } from './schemas';

/** The learning rate of a (0-based) epoch under a schedule, from the optimizer's initial rate. */
export function learningRateAt(schedule: TLearningRateSchedule, initial: number, epoch: number, epochs: number): number {
  switch (schedule.kind) {
    case 'constant':
      return initial;
    case 'exponential':
      return initial * schedule.decayRate ** epoch;
    case 'step':
      return initial * schedule.factor ** Math.floor(epoch / schedule.every);
    case 'cosine': {
      const progress = epochs <= 1 ? 0 : epoch / (epochs - 1);
      return schedule.minLearningRate + ((initial - schedule.minLearningRate) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}
