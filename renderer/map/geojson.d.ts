/** GeoJSON files the build bundles as data (scripts/build.mjs loads .geojson as JSON). */
declare module '*.geojson' {
  const data: { type: 'FeatureCollection'; features: unknown[] };
  export default data;
}
