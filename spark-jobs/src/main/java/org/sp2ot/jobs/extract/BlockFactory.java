package org.sp2ot.jobs.extract;

import ai.djl.nn.Block;

/**
 * Builds the network whose parameters a DJL-format model directory holds ({@code <name>-0000.params} stores
 * parameters only, not the architecture). Implementations need a public no-argument constructor: executors
 * instantiate them by class name ({@link ExtractOptions#blockFactory()}).
 */
public interface BlockFactory {
    Block newBlock();
}
