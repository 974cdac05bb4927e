"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/** Scalar's interactive reference, reading the same OpenAPI document the API serves. */
export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/v1/openapi.json",
        hideClientButton: false,
        withDefaultFonts: false,
        hideDarkModeToggle: true,
        // Requests from the "try it" panel go straight to this origin; no third-party proxy.
        proxyUrl: undefined,
        // Scalar's hosted AI agent ("Ask AI") loads a registry from proxy.scalar.com: a third
        // party the CSP refuses, and a hosted product this portal does not offer.
        agent: { disabled: true },
      }}
    />
  );
}
