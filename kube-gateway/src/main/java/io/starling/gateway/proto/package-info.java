/**
 * Decoding of request bodies sent as application/vnd.kubernetes.protobuf: the "k8s\0" envelope, the
 * runtime.Unknown wrapper and the typed object, converted to the JSON form the API stores.
 */
package io.starling.gateway.proto;
