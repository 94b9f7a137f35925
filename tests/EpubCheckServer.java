// EPUBCheck for a whole test session in one Java process (tests/epubcheck_jvm.py starts it).
//
// Each request is one line on stdin, "EPUB<TAB>JSON": the EPUB is checked exactly as the epubcheck
// package's command line checks it (`java -jar epubcheck.jar EPUB -q --profile default --json -`, the
// same EpubChecker.run that the jar's main calls), the JSON report written to the file JSON, and the
// return code (0: valid) answered on a line of stdout. A JVM per EPUB spent ~12 s starting and
// compiling EPUBCheck's schemas for a check that takes under a second once they are loaded.
// Run from source (java -cp epubcheck.jar EpubCheckServer.java): no build step, no class file kept.

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckServer {
    public static void main(String[] args) throws IOException {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        System.setOut(System.err);  // whatever EPUBCheck prints stays out of the answers
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = requests.readLine()) != null) {
            String[] fields = line.split("\t", 2);
            int code;
            try {
                code = new EpubChecker().run(new String[] {fields[0], "-q", "--profile", "default", "--json", fields[1]});
            } catch (Throwable t) {  // the caller checks this EPUB with a JVM of its own instead
                t.printStackTrace();
                code = -1;
            }
            answers.println(code);
        }
    }
}
