/** One request, written for each client the docs show. The key is read from KEYPORT_KEY, never inlined. */
export interface Snippet {
  label: "curl" | "JavaScript" | "Python" | "Go";
  code: string;
}

interface RequestSpec {
  method: "GET" | "POST";
  url: string;
  /** The env var holding the key. */
  keyVar: string;
  body?: Record<string, unknown>;
}

export function snippetsFor({ method, url, keyVar, body }: RequestSpec): Snippet[] {
  const json = body ? JSON.stringify(body) : undefined;
  const curl = [
    `curl${method === "GET" ? "" : ` -X ${method}`} ${url} \\`,
    `  -H "Authorization: Bearer $${keyVar}"${json ? " \\" : ""}`,
    ...(json ? [`  -H "Content-Type: application/json" \\`, `  -d '${json}'`] : []),
  ].join("\n");
  const javascript = [
    `const response = await fetch("${url}", {`,
    `  method: "${method}",`,
    `  headers: {`,
    `    Authorization: \`Bearer \${process.env.${keyVar}}\`,`,
    ...(json ? [`    "Content-Type": "application/json",`] : []),
    `  },`,
    ...(json ? [`  body: JSON.stringify(${JSON.stringify(body)}),`] : []),
    `});`,
    `if (!response.ok) throw new Error((await response.json()).error.message);`,
    `console.log(await response.json());`,
  ].join("\n");
  const python = [
    `import os`,
    `import requests`,
    ``,
    `response = requests.${method.toLowerCase()}(`,
    `    "${url}",`,
    `    headers={"Authorization": f"Bearer {os.environ['${keyVar}']}"},`,
    ...(json ? [`    json=${pythonLiteral(body!)},`] : []),
    `    timeout=10,`,
    `)`,
    `response.raise_for_status()`,
    `print(response.json())`,
  ].join("\n");
  const go = [
    `package main`,
    ``,
    `import (`,
    `\t"fmt"`,
    `\t"io"`,
    `\t"net/http"`,
    `\t"os"`,
    ...(json ? [`\t"strings"`] : []),
    `)`,
    ``,
    `func main() {`,
    `\treq, err := http.NewRequest("${method}", "${url}", ${json ? `strings.NewReader(\`${json}\`)` : "nil"})`,
    `\tif err != nil {`,
    `\t\tpanic(err)`,
    `\t}`,
    `\treq.Header.Set("Authorization", "Bearer "+os.Getenv("${keyVar}"))`,
    ...(json ? [`\treq.Header.Set("Content-Type", "application/json")`] : []),
    `\tres, err := http.DefaultClient.Do(req)`,
    `\tif err != nil {`,
    `\t\tpanic(err)`,
    `\t}`,
    `\tdefer res.Body.Close()`,
    `\tbody, _ := io.ReadAll(res.Body)`,
    `\tfmt.Println(res.Status, string(body))`,
    `}`,
  ].join("\n");
  return [
    { label: "curl", code: curl },
    { label: "JavaScript", code: javascript },
    { label: "Python", code: python },
    { label: "Go", code: go },
  ];
}

/** A JSON object as a Python literal (True/False/None). */
function pythonLiteral(value: unknown): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(", ")}]`;
  if (typeof value === "object") return `{${Object.entries(value as Record<string, unknown>).map(([key, entry]) => `${JSON.stringify(key)}: ${pythonLiteral(entry)}`).join(", ")}}`;
  return JSON.stringify(value);
}
