/**
 * Pure functions over Kubernetes objects as JSON: defaulting, label and field selectors, Table
 * rendering, and the model-class shapes used for OpenAPI and unknown-field detection.
 */
package io.starling.gateway.model;
