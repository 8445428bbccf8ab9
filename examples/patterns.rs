//! Finds rhetorical patterns in a speech with the default pattern set and prints them with their scores.
//!
//! ```text
//! cargo run --example patterns -- examples/speeches/001_bbf023ef8e8ca942.txt
//! ```

use tifa::SpeechFile;
use tifa::patterns::PatternSet;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/speeches/001_bbf023ef8e8ca942.txt".to_string());
    let file = SpeechFile::read(&path, None)?;
    let set = PatternSet::default_set();
    for doc in set.find(&file) {
        println!(
            "{}: {} hits, {:.2} per 1,000 chars, parallel density {:.2}",
            doc.title.as_deref().unwrap_or(&doc.path),
            doc.scores.hits,
            doc.scores.hits_per_1000,
            doc.scores.parallel_density
        );
        for hit in &doc.hits {
            let members: Vec<&str> = hit.members.iter().map(|m| file.text.slice(*m)).collect();
            println!("  {:<20} {}", hit.family.name(), members.join(" | "));
        }
    }
    Ok(())
}
