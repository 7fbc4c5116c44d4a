package dev.searchsync.testlog;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every log line of the test JVM, with stack traces, while it is open: log4j 2 (which slf4j, Flink, the
 * AWS SDK and OpenSearch's own classes write to) and java.util.logging (where commons-logging, and so the REST
 * client and Apache HttpClient, end up here). Levels are lowered to DEBUG for the duration and restored on close.
 */
public final class LogCapture implements AutoCloseable {
    /**
     * Loggers left at INFO: Apache HttpClient dumps raw traffic here at DEBUG, Authorization header included, by
     * design; nobody runs production at that level.
     */
    public static final List<String> RAW_TRAFFIC_LOGGERS = List.of("org.apache.http.wire", "org.apache.http.headers");

    private final List<String> lines = new ArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Map<String, Level> log4jLevels = new HashMap<>();
    private final Map<String, java.util.logging.Level> julLevels = new HashMap<>();
    private final List<AppenderRef> rootAppenderRefs = new ArrayList<>();
    private final Capturing appender = new Capturing();
    private final JulCapturing julHandler = new JulCapturing();

    private LogCapture() {}

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.attach();
        return capture;
    }

    /** Everything captured so far, one entry per event (message and stack trace). */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String text() {
        return String.join("\n", lines);
    }

    private void attach() {
        Configuration config = context.getConfiguration();
        appender.start();
        config.addAppender(appender);
        for (String name : RAW_TRAFFIC_LOGGERS) {
            config.addLogger(name, new LoggerConfig(name, Level.INFO, true));
        }
        for (LoggerConfig logger : config.getLoggers().values()) {
            log4jLevels.put(logger.getName(), logger.getLevel());
            logger.setLevel(RAW_TRAFFIC_LOGGERS.contains(logger.getName()) ? Level.INFO : Level.DEBUG);
        }
        // The console keeps showing warnings only: DEBUG from everything would bury the build output.
        LoggerConfig root = config.getRootLogger();
        rootAppenderRefs.addAll(root.getAppenderRefs());
        for (AppenderRef ref : rootAppenderRefs) {
            Appender existing = config.getAppender(ref.getRef());
            root.removeAppender(ref.getRef());
            root.addAppender(existing, Level.WARN, null);
        }
        root.addAppender(appender, Level.ALL, null);
        context.updateLoggers();

        Logger julRoot = Logger.getLogger("");
        julLevels.put("", julRoot.getLevel());
        julRoot.setLevel(java.util.logging.Level.FINE);
        for (String name : RAW_TRAFFIC_LOGGERS) {
            Logger raw = Logger.getLogger(name);
            julLevels.put(name, raw.getLevel());
            raw.setLevel(java.util.logging.Level.INFO);
        }
        julHandler.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(julHandler);
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(appender.getName());
        for (AppenderRef ref : rootAppenderRefs) {
            Appender existing = config.getAppender(ref.getRef());
            root.removeAppender(ref.getRef());
            root.addAppender(existing, ref.getLevel(), ref.getFilter());
        }
        for (String name : RAW_TRAFFIC_LOGGERS) {
            config.removeLogger(name);
        }
        for (LoggerConfig logger : config.getLoggers().values()) {
            Level saved = log4jLevels.get(logger.getName());
            if (saved != null) {
                logger.setLevel(saved);
            }
        }
        context.updateLoggers();
        appender.stop();

        Logger julRoot = Logger.getLogger("");
        julRoot.removeHandler(julHandler);
        julLevels.forEach((name, level) -> Logger.getLogger(name).setLevel(level));
    }

    private synchronized void record(String logger, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(logger).append(" - ").append(message);
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    /** The log4j 2 side. */
    private final class Capturing extends AbstractAppender {
        Capturing() {
            super("searchsync-log-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            record(event.getLoggerName(), event.getMessage().getFormattedMessage(), event.getThrown());
        }
    }

    /** The java.util.logging side. */
    private final class JulCapturing extends Handler {
        @Override
        public void publish(LogRecord entry) {
            String message = entry.getMessage();
            if (entry.getParameters() != null && message != null) {
                message = MessageFormat.format(message, entry.getParameters());
            }
            record(entry.getLoggerName(), message, entry.getThrown());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
