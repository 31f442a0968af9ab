/** A host application on the module path that wires Threadwire with metrics. */
package com.example.host;
