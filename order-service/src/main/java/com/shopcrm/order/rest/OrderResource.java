package com.shopcrm.order.rest;

import com.shopcrm.common.page.Page;
import com.shopcrm.common.page.PageRequest;
import com.shopcrm.common.tenant.CurrentTenant;
import com.shopcrm.order.service.OrderService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

  private final OrderService orders;
  private final CurrentTenant tenant;

  OrderResource(OrderService orders, CurrentTenant tenant) {
    this.orders = orders;
    this.tenant = tenant;
  }

  /** The tenant's orders, oldest first, one cursor page at a time. */
  @GET
  public Uni<Page<OrderView>> list(
      // read as text so that ?limit=ten is a 400 problem, not a JAX-RS 404; documented as the integer it is
      @Parameter(description = "page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000",
          defaultValue = "50")) @QueryParam("limit") String limit,
      @Parameter(description = "next_cursor of the previous page")
      @QueryParam("cursor") String cursor) {
    return orders.list(tenant.get(), PageRequest.parse(limit, cursor)).map(page -> page.map(OrderView::of));
  }
}
