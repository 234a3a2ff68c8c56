package io.asyncagent.examples;

import io.asyncagent.AgentGroup;
import io.asyncagent.AgentListener;
import io.asyncagent.AgentState;
import io.asyncagent.AsyncAgent;
import io.asyncagent.krakend.AgentDefinition;
import io.asyncagent.krakend.KrakendConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agents of an existing krakend.json, run from a program. */
public final class FromKrakendJson {
  private static final Logger log = LoggerFactory.getLogger(FromKrakendJson.class);

  private FromKrakendJson() {}

  /** Reads the file's agents and starts them; the caller closes the group. */
  public static AgentGroup run(Path krakendJson) {
    // tag::run[]
    KrakendConfig config = KrakendConfig.read(krakendJson);   // every problem of the file at once
    AgentGroup agents = config.newGroup();
    agents.start();                                          // each agent consuming, or an exception
    // end::run[]
    return agents;
  }

  /** Reads the file's agents, adding a listener to each before it is built. */
  public static AgentGroup customised(Path krakendJson) {
    // tag::customise[]
    List<AsyncAgent> agents = new ArrayList<>();
    for (AgentDefinition definition : KrakendConfig.read(krakendJson).agents()) {
      agents.add(definition.newBuilder()
          .listener(new AgentListener() {
            @Override
            public void stateChanged(AsyncAgent agent, AgentState from, AgentState to) {
              log.info("{}: {} -> {}", agent.name(), from, to);
            }
          })
          .build());
    }
    AgentGroup group = AgentGroup.of(agents);
    // end::customise[]
    return group;
  }
}
