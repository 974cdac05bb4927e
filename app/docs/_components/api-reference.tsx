"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/**
 * Scalar's interactive reference, reading the same OpenAPI document the API serves (its
 * `servers` is this portal's public URL). Everything that belongs to Scalar's hosted products
 * is off: the developer tools bar (Share, Deploy, Generate SDK, shown on localhost by default),
 * the AI agent ("Ask AI", which loads a registry from proxy.scalar.com, a third party the CSP
 * refuses), telemetry. The page links the raw document itself, so no download button either.
 */
export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/v1/openapi.json",
        showDeveloperTools: "never",
        agent: { disabled: true },
        telemetry: false,
        hideClientButton: true,
        hideDownloadButton: true,
        documentDownloadType: "none",
        withDefaultFonts: false,
        hideDarkModeToggle: true,
        // Requests from the "try it" panel go straight to this origin; no third-party proxy.
        proxyUrl: undefined,
        defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
        // The key's scheme is chosen from the start, so the auth panel is a token field, not "No authentication selected".
        authentication: { preferredSecurityScheme: "bearerAuth" },
      }}
    />
  );
}
