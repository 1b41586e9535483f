package io.starling.runtime.agent;

/**
 * The pod's configuration cannot be honoured yet (a ConfigMap, Secret or key it names is missing,
 * an unsupported volume): reported as CreateContainerConfigError, retried with back-off.
 */
final class ConfigException extends Exception {
    ConfigException(String message) {
        super(message, null, false, false);
    }
}
