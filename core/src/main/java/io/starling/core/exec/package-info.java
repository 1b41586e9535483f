/** The single-threaded event loop every peer component runs on, with its production implementation. */
package io.starling.core.exec;
