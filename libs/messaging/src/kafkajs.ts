// A second entry point for kafkajs clients outside the apps (the end-to-end suite's): the fix
// every client of the project takes, without the Nest and TypeORM side of the main one.
export { fixKafkajsIdleLoop } from './lib/kafkajs-idle-loop';
