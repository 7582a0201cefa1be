/**
 * Writes examples/data/housing_synthetic.csv: 400 made-up houses whose price is a known function
 * of four features plus noise, for the regression example (examples/housing.nn). Units keep
 * every column near 1, since the model does not rescale its inputs: area in 100 m², age in
 * decades, distance in 10 km, price in 100,000. Run: npx tsx scripts/make-housing.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../src/reference/random.js';

export const HOUSES = 400;
/** The noise's standard deviation: the lowest mean squared error a model can reach is about its square, 0.0225. */
export const NOISE = 0.15;

/** The true price: grows with area and rooms, falls with age and, faster at first, with distance. */
export function price(rooms: number, area: number, age: number, distance: number): number {
  return 0.6 + 0.9 * area + 0.15 * rooms - 0.12 * age + 0.8 * Math.exp(-distance) + 0.1 * area * rooms / 3;
}

export function houses(seed = 2024): string[] {
  const random = new Random(seed);
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  return Array.from({ length: HOUSES }, () => {
    const rooms = 1 + Math.floor(random.uniform() * 6);
    const area = round(0.25 + 0.3 * rooms + 0.3 * random.uniform(), 3);
    const age = round(random.uniform() * 8, 2);
    const distance = round(-Math.log(1 - random.uniform()) * 1.2, 3);
    const value = round(price(rooms, area, age, distance) + NOISE * random.normal(), 4);
    return `${rooms},${area},${age},${distance},${value}`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const csv = ['rooms,area,age,distance,price', ...houses()].join('\n');
  writeFileSync(join(import.meta.dirname, '../examples/data/housing_synthetic.csv'), `${csv}\n`);
}
