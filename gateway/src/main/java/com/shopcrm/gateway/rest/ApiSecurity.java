package com.shopcrm.gateway.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI description of the gateway's own API: every call takes an API key as a bearer token. */
@OpenAPIDefinition(
    info = @Info(title = "Shop CRM gateway", version = "1.0",
        description = "Tenants, API keys and platform status. Every /api/v1 call is authenticated with "
            + "'Authorization: Bearer <api-key>'; the admin calls need the platform admin key (or, for a "
            + "shop's own keys, a shop key with role admin)."),
    security = @SecurityRequirement(name = ApiSecurity.API_KEY))
@SecurityScheme(securitySchemeName = ApiSecurity.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
    description = "An API key issued by POST /api/v1/admin/api-keys (or the platform admin key)")
public class ApiSecurity extends Application {
  public static final String API_KEY = "apiKey";
}
