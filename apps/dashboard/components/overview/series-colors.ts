/** Chart colours per series, shared by the (client) chart and the (server) legend beside it. */
const COLORS = ["#4f46e5", "#8b5cf6", "#0ea5e9", "#10b981", "#f59e0b"];
const OTHER = "#94a3b8";

export function seriesColor(index: number, name: string): string {
  return name === "Other" ? OTHER : (COLORS[index % COLORS.length] ?? COLORS[0] ?? OTHER);
}
