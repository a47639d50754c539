/** Planar point-in-polygon for lon/lat GeoJSON polygons (grid-sized areas: planar is exact enough). */

/** A [lon, lat] position. */
export type Point = readonly number[];
/** A polygon: outer ring then holes; each ring closed. */
export type PolygonRings = readonly (readonly Point[])[];

const EPSILON = 1e-9;

function onSegment(p: Point, a: Point, b: Point): boolean {
  const [px = 0, py = 0] = p;
  const [ax = 0, ay = 0] = a;
  const [bx = 0, by = 0] = b;
  const cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
  if (Math.abs(cross) > EPSILON) return false;
  return px >= Math.min(ax, bx) - EPSILON && px <= Math.max(ax, bx) + EPSILON
    && py >= Math.min(ay, by) - EPSILON && py <= Math.max(ay, by) + EPSILON;
}

/** -1 outside, 0 on the boundary, 1 inside (ray casting). */
function ringSide(point: Point, ring: readonly Point[]): -1 | 0 | 1 {
  const [x = 0, y = 0] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as Point;
    const b = ring[j] as Point;
    if (onSegment(point, a, b)) return 0;
    const [ax = 0, ay = 0] = a;
    const [bx = 0, by = 0] = b;
    if ((ay > y) !== (by > y) && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside ? 1 : -1;
}

/** True when the point is inside the polygon or on its boundary (holes excluded). */
export function pointInPolygon(point: Point, polygon: PolygonRings): boolean {
  const [outer, ...holes] = polygon;
  if (!outer || ringSide(point, outer) < 0) return false;
  return holes.every((hole) => ringSide(point, hole) <= 0);
}

/** True when the point lies in any polygon of a Polygon or MultiPolygon geometry. */
export function pointInGeometry(point: Point, geometry: { type: string; coordinates: unknown }): boolean {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as PolygonRings[];
  return polygons.some((polygon) => pointInPolygon(point, polygon));
}
