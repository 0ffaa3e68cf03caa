// Step, Play/Pause, Reset and a speed choice for figures that move through positions.
// Playing advances on animation frames (requestAnimationFrame) at the chosen pace; each
// position's drawing is timed with performance.measure("cl-widget:frame"), which the
// benchmark (benchmarks/bench_widgets.py) reads.
import { button, h, select } from "./dom.js";

const SPEEDS = { slow: 900, normal: 450, fast: 150 }; // milliseconds per position

export class Player {
  /** `show(index)` draws position `index` of `length`. */
  constructor({ length, show, label = "Animation" }) {
    this.length = length;
    this.show = show;
    this.index = 0;
    this.playing = false;
    this.interval = SPEEDS.normal;
    this.stepButton = button("Step", () => {
      this.pause();
      this.go(this.index + 1 < this.length ? this.index + 1 : 0);
    }, { title: "Move to the next position (from the last, back to the first)" });
    this.playButton = button("Play", () => (this.playing ? this.pause() : this.play()), {
      class: "cl-w-button cl-w-button--primary",
    });
    this.resetButton = button("Reset", () => {
      this.pause();
      this.go(0);
    }, { title: "Back to the first position" });
    const speed = select("Speed", [["slow", "slow"], ["normal", "normal"], ["fast", "fast"]], "normal",
      (value) => (this.interval = SPEEDS[value]));
    speed.root.classList.add("cl-w-field--inline");
    this.root = h("div", { class: "cl-w-player", role: "group", "aria-label": label },
      this.stepButton, this.playButton, this.resetButton, speed.root);
  }

  /** Show position `index` now. */
  go(index, name = "cl-widget:step") {
    const start = performance.now();
    this.index = Math.max(0, Math.min(index, this.length - 1));
    this.show(this.index);
    performance.measure(name, { start, end: performance.now() });
  }

  /** A new number of positions (the figure's settings changed): back to the first. */
  setLength(length) {
    this.pause();
    this.length = length;
    this.stepButton.disabled = this.playButton.disabled = length === 0;
    if (length) this.go(0);
  }

  play() {
    if (this.length < 2) return;
    if (this.index >= this.length - 1) this.go(0);
    this.playing = true;
    this.playButton.textContent = "Pause";
    let last = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      if (!this.root.isConnected) return this.pause(); // the page changed (instant navigation)
      if (now - last >= this.interval) {
        last = now;
        this.go(this.index + 1, "cl-widget:frame");
        if (this.index >= this.length - 1) return this.pause();
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.playButton.textContent = "Play";
  }
}
