"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageDay } from "@/lib/usage/read-usage";

const SERIES = [
  { key: "success", name: "2xx", color: "#4f46e5" },
  { key: "clientError", name: "4xx", color: "#f59e0b" },
  { key: "rateLimited", name: "429", color: "#dc2626" },
] as const;

/** Requests per day for 30 days, stacked by outcome, with a table for screen readers. */
export function UsageChart({ days, label }: { days: UsageDay[]; label: string }) {
  const total = days.reduce((sum, day) => sum + day.success + day.clientError + day.rateLimited, 0);
  return (
    <figure className="space-y-2">
      <figcaption className="flex items-baseline justify-between text-sm">
        <span className="font-medium">{label}</span>
        <span className="text-zinc-500 dark:text-zinc-400">{total.toLocaleString("en")} {total === 1 ? "request" : "requests"} in 30 days</span>
      </figcaption>
      {total === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-8 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          No requests yet. Calls to <code className="font-mono">/api/v1</code> show up here within seconds.
        </p>
      ) : (
        <div aria-hidden className="h-48 w-full">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={days} margin={{ top: 4, right: 4, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="currentColor" strokeOpacity={0.1} />
              <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} tick={{ fontSize: 11 }} interval="preserveStartEnd" />
              <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {SERIES.map((series) => (
                <Bar key={series.key} dataKey={series.key} name={series.name} stackId="requests" fill={series.color} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <table className="sr-only">
        <caption>{label}, by day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">2xx</th>
            <th scope="col">4xx</th>
            <th scope="col">429</th>
          </tr>
        </thead>
        <tbody>
          {days
            .filter((day) => day.success + day.clientError + day.rateLimited > 0)
            .map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                <td>{day.success}</td>
                <td>{day.clientError}</td>
                <td>{day.rateLimited}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
