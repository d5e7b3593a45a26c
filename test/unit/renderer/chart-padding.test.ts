import { describe, expect, it } from 'vitest';
import { padded } from '../../../renderer/src/features/chart/chart-theme.ts';

describe('blank room at the ends of a price-axis chart', () => {
  it('adds 6 % of the span on each side, with the data untouched between', () => {
    const data = [{ time: 80, value: 1 }, { time: 90, value: 2 }, { time: 130, value: 3 }];
    expect(padded(data)).toEqual([{ time: 77 }, ...data, { time: 133 }]);
  });

  it('never pads below zero days or a zero price, and adds no point on top of the first', () => {
    const days = [{ time: 1, value: 55 }, { time: 204, value: 60 }];
    expect(padded(days)[0]).toEqual({ time: 0 });
    const fromZero = [{ time: 0, value: 1 }, { time: 10, value: 2 }];
    expect(padded(fromZero)).toEqual([...fromZero, { time: 10.6 }]);
  });

  it('leaves a single point or none alone', () => {
    expect(padded([{ time: 5, value: 1 }])).toEqual([{ time: 5, value: 1 }]);
    expect(padded([])).toEqual([]);
  });
});
