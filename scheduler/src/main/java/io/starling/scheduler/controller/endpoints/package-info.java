/** EndpointSlices (and legacy core/v1 Endpoints) for Services, from their ready pods. */
package io.starling.scheduler.controller.endpoints;
